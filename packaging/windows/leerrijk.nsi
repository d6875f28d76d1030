; The Windows installer of Leerrijk (NSIS 3, Modern UI 2). Built by `scripts/package.sh windows`:
;   makensis -DVERSION=0.1.0 -DBIN=<dir with leerrijk.exe and leerrijk-start.exe>
;            -DICON=<leerrijk.ico> -DOUT=<setup.exe> packaging/windows/leerrijk.nsi
;
; Installs for all users in "C:\Program Files\Leerrijk" (asks for administrator rights), with
; a Start-menu entry, an uninstaller (Settings > Apps), a firewall rule so that the laptops of
; a team can reach each other, and the `.leerrijk` invitation file type. Each user's data stays
; in their own app-data folder (%APPDATA%\Leerrijk\Leerrijk\data); uninstalling keeps it.

; A 64-bit installer (Leerrijk is 64-bit only; it also runs on a 64-bit-only Wine).
Target amd64-unicode
SetCompressor /SOLID lzma
RequestExecutionLevel admin

!ifndef VERSION
  !error "pass -DVERSION=x.y.z"
!endif

!include "MUI2.nsh"
!include "x64.nsh"
!include "LogicLib.nsh"

Name "Leerrijk"
OutFile "${OUT}"
InstallDir "$PROGRAMFILES64\Leerrijk"
InstallDirRegKey HKLM "Software\Leerrijk" "InstallDir"
BrandingText "Leerrijk ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1043 "ProductName" "Leerrijk"
VIAddVersionKey /LANG=1043 "FileDescription" "Leerrijk ${VERSION} installatie"
VIAddVersionKey /LANG=1043 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1043 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1043 "LegalCopyright" "MIT OR Apache-2.0"

!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Leerrijk"
!define FIREWALL_RULE "Leerrijk"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_NOAUTOCLOSE

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; Dutch first (the interface of most users), English for other Windows languages.
!insertmacro MUI_LANGUAGE "Dutch"
!insertmacro MUI_LANGUAGE "English"

LangString FirewallDetail 1043 "Windows Firewall: Leerrijk mag verbinding maken met de laptops van je team."
LangString FirewallDetail 1033 "Windows Firewall: Leerrijk may connect to your team's laptops."
LangString InvitationType 1043 "Leerrijk-uitnodiging"
LangString InvitationType 1033 "Leerrijk invitation"
LangString KeptData 1043 "Je trajecten blijven bewaard in %APPDATA%\Leerrijk."
LangString KeptData 1033 "Your trajectories are kept in %APPDATA%\Leerrijk."

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "Leerrijk needs 64-bit Windows."
    Abort
  ${EndIf}
  SetRegView 64
FunctionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

Section "Leerrijk" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "${BIN}/leerrijk.exe"
  File "${BIN}/leerrijk-start.exe"
  File /oname=leerrijk.ico "${ICON}"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKLM "Software\Leerrijk" "InstallDir" "$INSTDIR"

  ; Start menu (for all users). leerrijk-start.exe opens the app without a console window.
  SetShellVarContext all
  CreateShortCut "$SMPROGRAMS\Leerrijk.lnk" "$INSTDIR\leerrijk-start.exe" "" "$INSTDIR\leerrijk.ico" 0

  ; Settings > Apps: name, version, icon, uninstaller.
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "Leerrijk"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\leerrijk.ico"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "Leerrijk"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1

  ; Invitation files: double-click opens the join dialog with the ticket.
  WriteRegStr HKLM "Software\Classes\.leerrijk" "" "Leerrijk.Invitation"
  WriteRegStr HKLM "Software\Classes\.leerrijk" "Content Type" "application/x-leerrijk-invitation"
  WriteRegStr HKLM "Software\Classes\Leerrijk.Invitation" "" "$(InvitationType)"
  WriteRegStr HKLM "Software\Classes\Leerrijk.Invitation\DefaultIcon" "" "$INSTDIR\leerrijk.ico,0"
  WriteRegStr HKLM "Software\Classes\Leerrijk.Invitation\shell\open\command" "" '"$INSTDIR\leerrijk-start.exe" "%1"'
  ; Tell Explorer about the new file type (SHCNE_ASSOCCHANGED).
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  ; The firewall: laptops in a team connect to each other directly (QUIC over UDP, and mDNS
  ; to find each other). Allow leerrijk.exe in, on every network profile: school networks are
  ; often "public" to Windows. Peers must still prove they were invited.
  DetailPrint "$(FirewallDetail)"
  nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="${FIREWALL_RULE}"'
  Pop $0
  nsExec::ExecToLog 'netsh advfirewall firewall add rule name="${FIREWALL_RULE}" dir=in action=allow program="$INSTDIR\leerrijk.exe" enable=yes profile=any'
  Pop $0
  ${If} $0 != 0
    DetailPrint "netsh: $0"
  ${EndIf}
SectionEnd

Section "Uninstall"
  nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="${FIREWALL_RULE}"'
  Pop $0
  SetShellVarContext all
  Delete "$SMPROGRAMS\Leerrijk.lnk"
  DeleteRegKey HKLM "Software\Classes\Leerrijk.Invitation"
  DeleteRegKey HKLM "Software\Classes\.leerrijk"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DeleteRegKey HKLM "Software\Leerrijk"
  Delete "$INSTDIR\leerrijk.exe"
  Delete "$INSTDIR\leerrijk-start.exe"
  Delete "$INSTDIR\leerrijk.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DetailPrint "$(KeptData)"
SectionEnd
