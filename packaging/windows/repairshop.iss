; Inno Setup 6 script: a Windows installer for the folder that packaging/repairshop.spec builds.
; From the repository's root, on Windows:
;
;   .venv\Scripts\python -m PyInstaller --noconfirm packaging\repairshop.spec
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" packaging\windows\repairshop.iss
;
; writes dist\RepairShop-<version>-setup.exe. It installs for all users (Program Files) or, when
; the person chooses so or is no administrator, for the current user only; adds RepairShop to
; the Start menu (and, if asked, the desktop) and the command line `repairshop` to PATH.
; Uninstalling leaves the shop's database and logs in the user's AppData folder alone.

#define AppName "RepairShop"
#define AppVersion "0.1.0"
#define Dist "..\..\dist\RepairShop"

[Setup]
AppId={{6F4E2B8A-3D1C-4B7E-9A52-0C8D7E1F2A63}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=The RepairShop maintainers
AppVerName={#AppName} {#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename={#AppName}-{#AppVersion}-setup
SetupIconFile=repairshop.ico
UninstallDisplayIcon={app}\repairshop-gui.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesEnvironment=yes
CloseApplications=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "cs"; MessagesFile: "compiler:Languages\Czech.isl"
Name: "de"; MessagesFile: "compiler:Languages\German.isl"
Name: "hu"; MessagesFile: "compiler:Languages\Hungarian.isl"
Name: "pl"; MessagesFile: "compiler:Languages\Polish.isl"
Name: "ru"; MessagesFile: "compiler:Languages\Russian.isl"

[CustomMessages]
en.AddToPath=Add the &repairshop command to PATH
cs.AddToPath=Přidat příkaz &repairshop do proměnné PATH
de.AddToPath=Den Befehl &repairshop zu PATH hinzufügen
hu.AddToPath=A &repairshop parancs hozzáadása a PATH változóhoz
pl.AddToPath=Dodaj polecenie &repairshop do zmiennej PATH
ru.AddToPath=Добавить команду &repairshop в PATH

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "addtopath"; Description: "{cm:AddToPath}"; Flags: unchecked

[Files]
Source: "{#Dist}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\repairshop-gui.exe"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\repairshop-gui.exe"; Tasks: desktopicon

[Registry]
Root: HKA; Subkey: "{code:EnvironmentKey}"; ValueType: expandsz; ValueName: "Path"; \
    ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NotOnPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\repairshop-gui.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; \
    Flags: nowait postinstall skipifsilent

[Code]
function EnvironmentKey(Param: String): String;
begin
  if IsAdminInstallMode then
    Result := 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment'
  else
    Result := 'Environment';
end;

function NotOnPath(Folder: String): Boolean;
var
  Path: String;
begin
  if not RegQueryStringValue(HKA, EnvironmentKey(''), 'Path', Path) then
    Path := '';
  Result := Pos(';' + Uppercase(Folder) + ';', ';' + Uppercase(Path) + ';') = 0;
end;
